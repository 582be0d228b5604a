"""yusuan.cycle"""

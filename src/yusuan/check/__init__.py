"""yusuan.check"""

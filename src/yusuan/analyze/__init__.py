"""yusuan.analyze"""

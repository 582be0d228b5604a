"""yusuan.store"""

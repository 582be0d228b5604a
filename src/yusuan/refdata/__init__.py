"""yusuan.refdata"""

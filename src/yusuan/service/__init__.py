"""yusuan.service"""

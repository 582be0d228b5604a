"""yusuan.report"""

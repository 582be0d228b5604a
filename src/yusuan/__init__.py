"""yusuan (预算): read, check and analyse China's government budgets."""

__version__ = "0.1.0"

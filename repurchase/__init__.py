"""repurchase: tells every sales rep, each morning, which customers are most likely to order now."""

__version__ = "0.1.0"

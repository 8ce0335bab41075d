"""compliance: checks 法治政府建设 reports against declarative rulesets."""
__version__ = "0.1.0"

"""The monitoring triggers (致贫返贫风险预警): rules of the assessment engine's machinery over one data year's
figures and the previous year's. Free of Django (import-linter contract)."""

"""The feedback service: anonymous feedback tokens, forms and provider reports."""

"""Experiments: templates, assignment, lift with confidence intervals, incrementality reports."""

"""Shared foundations every package may import: errors, value normalizers, runtime settings."""

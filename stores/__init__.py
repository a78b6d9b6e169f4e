"""Tracker stores of the assistant (named in endpoints.yml)."""

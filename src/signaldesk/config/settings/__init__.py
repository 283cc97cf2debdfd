"""Settings split by environment: base (shared), embedded (default), production, test."""

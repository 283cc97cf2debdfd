"""Customer data export and erasure (GDPR-style); see docs/privacy.md."""

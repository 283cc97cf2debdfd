"""The authorisation matrix, split by area: who may reach every URL and API operation."""

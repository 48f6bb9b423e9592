"""iamtest: pytest for AWS access policies."""

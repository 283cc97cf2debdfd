"""Contact-reason taxonomy (versioned routing templates), legacy tag audit and tag mapping."""

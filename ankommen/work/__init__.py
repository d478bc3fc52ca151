"""Work and training."""

"""``tf.data`` (placeholder)."""

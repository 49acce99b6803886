"""Record matching: normalization, the Splink model, batch and online linking, evaluation."""

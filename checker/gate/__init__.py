"""What a CI gate adds to a run: changed documents, baselines, suppressions, caching."""

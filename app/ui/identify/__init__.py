"""The identify tool and its results panel."""

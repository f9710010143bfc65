"""The ``innoatlas`` command: the entry point (main) and one module per subcommand."""

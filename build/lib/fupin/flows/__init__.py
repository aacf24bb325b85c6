"""Prefect flows and the `fupin` command line: thin wrappers over transforms/, expectations/ and warehouse/."""

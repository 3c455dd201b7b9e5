"""The datasets: what the pipeline knows of each (files, sources, checksums, classes), the IDX format they ship
in, and the checks a downloaded or custom file passes. Imports only the foundations."""

"""The commands a user runs in a project where ``dvc repro`` has run: ``hiddennodes-predict`` and
``hiddennodes-sweep``. Unlike the rest of the package they read params.yaml, run DVC and write files."""

"""The networks: the Keras model (``keras_model``), the compiled training loop (``training``) and the distortions
it trains on (``augment``), and the trained network as one object run in NumPy, with its file (``trained``).
``keras_model`` and ``training`` import Keras and TensorFlow, ``augment`` only when called, and ``trained`` never: a
stage that only runs a trained network starts without TensorFlow.
Imports the foundations, ``data`` and ``config``."""

"""Reading a customer's picture as ``hiddennodes-predict`` does: decode the file upright and grey (``decode``),
find the ink (``ink``) and its marks (``marks``), split them into digits (``find_digits``), prepare each as a
28x28 made the way MNIST's were (``prepare``), check it looks like the training digits (``familiarity``), and
answer or refuse with a reason (``reader``). Imports the foundations, ``data`` and ``network``."""

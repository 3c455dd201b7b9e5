"""The pipeline's figures, one module per stage (or group of stages) that draws them.

Each function takes arrays and returns a matplotlib Figure; the stages save them.
Figures are built without pyplot, so no window or global state is involved.
Nothing is imported here: a stage imports only the module of its own figures,
so changing one figure reruns only the stages that draw it.
"""

import numpy as np

from overview import first_of_each_class


def test_first_of_each_class_in_class_order():
    labels = np.array([1, 0, 1, 2, 0, 0, 2, 1])
    assert first_of_each_class(labels, 3, 2).tolist() == [1, 4, 0, 2, 3, 6]


def test_a_class_with_fewer_items_gives_what_it_has():
    labels = np.array([0, 0, 0, 1])
    assert first_of_each_class(labels, 2, 2).tolist() == [0, 1, 3]

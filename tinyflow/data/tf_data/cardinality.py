"""How many elements a dataset has, as ``Dataset.cardinality()`` reports it:
a count, or one of two markers -- infinite (``repeat()`` with no count) or
unknown (after ``filter``, nobody knows until the data is read).

Each dataset works its count out from its input's, with the rules of
TensorFlow's kernels (``take`` of an unknown count is unknown, ``repeat`` of
an empty dataset is empty, ``zip`` is as long as its shortest input...).

>>> batches(10, 3, drop_remainder=False), batches(INFINITE, 3, True)
(4, -1)
"""
INFINITE = -1      # tf.data.INFINITE_CARDINALITY
UNKNOWN = -2       # tf.data.UNKNOWN_CARDINALITY
AUTOTUNE = -1      # tf.data.AUTOTUNE: "choose for me" (tinyflow runs in one thread)


def batches(n, batch_size, drop_remainder):
    if n < 0:
        return n
    return n // batch_size if drop_remainder else -(-n // batch_size)


def repeated(n, count):
    if count < 0:
        return 0 if n == 0 else INFINITE
    if count == 0:
        return 0
    return n if n < 0 else n * count


def taken(n, count):
    if n == UNKNOWN:
        return UNKNOWN
    if n == INFINITE:
        return INFINITE if count < 0 else count
    return n if count < 0 else min(n, count)


def skipped(n, count):
    if n < 0:
        return n
    return 0 if count < 0 else max(0, n - count)


def zipped(counts):
    """The shortest; unknown if any is unknown; infinite only if all are."""
    result = INFINITE
    for n in counts:
        if n == UNKNOWN:
            return UNKNOWN
        if n != INFINITE and (result == INFINITE or n < result):
            result = n
    return result

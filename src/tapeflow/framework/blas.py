"""The thread count of the OpenBLAS that NumPy's matrix products run in, read and set through
OpenBLAS's own functions (``tf.config.threading``, and ``hvd.init()`` for ranks that share a
machine)."""

import ctypes


def _loaded_openblas():
    """Paths of the OpenBLAS libraries mapped into this process."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split(None, 5)[-1].strip() for line in f if "openblas" in line.lower()}
    except OSError:  # not Linux: nothing to do
        return []
    return sorted(p for p in paths if p.startswith("/"))


def _openblas_functions(name):
    """OpenBLAS's function ``name`` (e.g. ``openblas_set_num_threads``) in every loaded OpenBLAS,
    under the names its builds export (NumPy's wheels add a prefix and a suffix)."""
    found = []
    for path in _loaded_openblas():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("", "scipy_"):
            for suffix in ("", "64_", "_64"):
                if hasattr(lib, f"{prefix}{name}{suffix}"):
                    found.append(getattr(lib, f"{prefix}{name}{suffix}"))
                    break
            else:
                continue
            break
    return found


def blas_threads():
    """The thread count of every loaded OpenBLAS."""
    return [get() for get in _openblas_functions("openblas_get_num_threads")]


def limit_loaded_blas(n):
    """Cap every loaded OpenBLAS at ``n`` threads; returns how many libraries were capped."""
    setters = _openblas_functions("openblas_set_num_threads")
    for setter in setters:
        setter.argtypes = [ctypes.c_int]
        setter(n)
    return len(setters)

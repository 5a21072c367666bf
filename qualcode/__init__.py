"""qualcode: codebook-driven qualitative analysis of interview transcripts."""
import sys as _sys


class _NoTorchForThinc:
    """thinc, spaCy's machine-learning library, imports PyTorch at start-up whenever it is installed
    (the optional extra ``qualcode[learn]`` brings it): seconds and hundreds of MB on every spaCy load,
    though qualcode's spaCy pipelines never use it. This finder declines ``torch`` to thinc's
    ``compat`` module only (thinc then runs without it, as without the extra); every other import of
    torch, such as the semantic model backend's, is untouched."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if fullname != "torch":
            return None
        frame = _sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__") == "thinc.compat":
                raise ModuleNotFoundError("torch is not used by qualcode's spaCy pipelines", name="torch")
            frame = frame.f_back
        return None


if not any(isinstance(f, _NoTorchForThinc) for f in _sys.meta_path):
    _sys.meta_path.insert(0, _NoTorchForThinc())

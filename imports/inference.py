"""STAND-IN on branch i-writer only: the real thread inference comes from branch i-infer.

The integrator takes i-infer's imports/inference.py over this file.
"""

from imports.records import ThreadInference


def infer_threads(post, **kwargs) -> ThreadInference:
    return ThreadInference()

"""The two synthetic sales teams and their hidden truth: pure generators of frames.

Imports nothing of ours but config and codes. Building the demo warehouse is a service.
"""

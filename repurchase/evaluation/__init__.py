"""Evaluation: the backtest and its baselines, outcome tables, hold-out lift, calibration, quality.

Returns frames; imports lists, the model, the warehouse and config, errors, codes.
"""

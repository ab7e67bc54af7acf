"""The model: events -> features as of a time, the CNN-LSTM and its peers, training, artefacts.

Imports the warehouse and config, errors, codes. Serving (predictor, registry) never imports train.
"""

from . import dunning_letter

import FTWLayers

import FTWTensor

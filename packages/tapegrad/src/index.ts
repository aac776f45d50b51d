// tapegrad: the one import users write. Tensors, the autograd tape, and Keras-style layers and models.
export * from '@tapegrad/tensor';
export * from '@tapegrad/autograd';
export * from '@tapegrad/nn';

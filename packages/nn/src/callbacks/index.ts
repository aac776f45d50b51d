// Callbacks: the hooks fit, evaluate and predict call (Keras `keras.callbacks`), History, and the progress bar.
export { Callback, CallbackList, type HookResult, type Logs, type TrainingParams } from './callback.js';
export { History } from './history.js';
export { Progbar, type ProgbarOptions, type TextWriter } from './progbar.js';
export { ProgbarLogger, type ProgbarLoggerOptions } from './progbar-logger.js';
export { EarlyStopping, type EarlyStoppingOptions, type MonitorMode } from './early-stopping.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { type EpochSchedule, LearningRateScheduler } from './learning-rate-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
export { TerminateOnNaN, type TerminateOnNaNOptions } from './terminate-on-nan.js';

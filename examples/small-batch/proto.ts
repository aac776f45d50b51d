import { Adam, BatchNormalization, Dense, LayerNormalization, ReLU, Sequential, resetNames, setSeed } from 'tapegrad';
import { accuracyOf, argmaxRows, loadDigits } from '../lib/digits.js';
const quick = process.argv.includes('--quick');
const epochs = Number(process.argv[2] ?? 10);
const lr = Number(process.argv[3] ?? 0.001);
const { xTrain, yTrain, xTest, yTest } = loadDigits({ layout: 'flat', maxTrain: quick ? 300 : undefined });
for (const B of [2, 8, 32, 128]) {
  for (const norm of ['bn', 'ln']) {
    setSeed(1); resetNames();
    const m = new Sequential([new Dense(64, { inputShape: [64] }), norm === 'bn' ? new BatchNormalization() : new LayerNormalization(), new ReLU(), new Dense(64), norm === 'bn' ? new BatchNormalization() : new LayerNormalization(), new ReLU(), new Dense(10, { activation: 'softmax' })]);
    m.compile({ optimizer: new Adam({ learningRate: lr }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const t = performance.now();
    const h = await m.fit(xTrain, yTrain, { epochs, batchSize: B, verbose: 0, seed: 2 });
    const acc = accuracyOf(argmaxRows(m.predict(xTest, { verbose: 0 })), yTest);
    const trainInf = accuracyOf(argmaxRows(m.predict(xTrain, { verbose: 0 })), yTrain);
    console.log(B, norm, 'fit acc', h.history.accuracy.at(-1)!.toFixed(3), 'train inf', trainInf.toFixed(3), 'test', acc.toFixed(3), ((performance.now() - t) / 1000).toFixed(2) + 's');
  }
}

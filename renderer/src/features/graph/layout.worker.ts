/** The layout worker: models and lays out a large layer graph off the main thread (see layoutProtocol.ts). */
import { createLayoutHandler, type LayoutRequest, type LayoutResponse } from './layoutProtocol';

/** The part of a dedicated worker's global scope used here (the renderer's types are the window's). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<LayoutRequest>) => void): void;
  postMessage(message: LayoutResponse): void;
}

const scope = self as unknown as WorkerScope;
const handle = createLayoutHandler();

scope.addEventListener('message', (event) => {
  scope.postMessage(handle(event.data));
});

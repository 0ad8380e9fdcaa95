export interface TrickleServer {
	url: string;
	stop(): Promise<void>;
}
export function startTrickleServer(options?: { byteEveryMs?: number }): Promise<TrickleServer>;

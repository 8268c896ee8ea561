export declare const ROOT: string
export declare const SUITE_PATH: string
export declare function iife(): string
export declare function directIife(): string
export declare function suiteSource(): string
export declare function suiteAsScript(): string
export declare function esmBundle(): Promise<string>
export declare function bundleLikeWrangler(entry: string): Promise<string>

export declare const CHROME_PATH: string;
export declare const FAKE_DEVICES: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare const AUTOPLAY_WITHOUT_GESTURE: string;

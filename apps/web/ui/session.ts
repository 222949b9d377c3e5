const STORAGE_KEY = "leukoflow.apiKey";

/**
 * The lab API key lives in sessionStorage: it survives reloads of the tab, is gone when the tab
 * closes, and is never sent anywhere but this origin's API.
 */
export const session = {
  apiKey: (): string | null => sessionStorage.getItem(STORAGE_KEY),
  signIn: (apiKey: string) => sessionStorage.setItem(STORAGE_KEY, apiKey),
  signOut: () => sessionStorage.removeItem(STORAGE_KEY),
};

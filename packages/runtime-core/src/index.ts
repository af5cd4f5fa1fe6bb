export * from "./data/RuntimeData.ts"

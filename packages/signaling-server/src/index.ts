import { x } from "@remotemedia/signaling-protocol"
export const y: number = x + 1

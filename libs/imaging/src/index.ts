/** The gateway and the detector import the upload rules from here, never from the file that holds them. */
export * from './image-rules';

"""An offline mirror of the UrduPoint English edition: ground truth, generator and HTTP server."""

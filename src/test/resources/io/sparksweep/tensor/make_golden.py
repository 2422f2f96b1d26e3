# Makes the golden .npz files read by NpzTest (numpy 2.4.6). Run: python3 make_golden.py
import numpy as np

arrays = dict(
    W1=np.arange(24, dtype='<f4').reshape(2, 3, 4) / np.float32(7),
    b1=np.array([[1.5, -2.25], [1e-300, np.pi]], dtype='<f8'),
    scalar=np.float64(-0.5),
    counts=np.array([-3, 0, 7], dtype='<i8'),
    small=np.array([[1, 2]], dtype='<i4'),
    pixels=np.array([0, 255], dtype='|u1'),
    empty=np.zeros((0, 3), dtype='<f4'),
    architecture=np.array('conv-relu-pool × 2 → affine'),
)
np.savez('golden.npz', **arrays)
np.savez_compressed('golden_compressed.npz', **arrays)
np.savez('bigendian.npz', x=np.arange(3, dtype='>f4'))
np.savez('fortran.npz', x=np.asfortranarray(np.zeros((2, 3), dtype='<f8')))
np.savez('object.npz', x=np.array([{'a': 1}], dtype=object))
np.savez('complex.npz', x=np.zeros(2, dtype='<c16'))
